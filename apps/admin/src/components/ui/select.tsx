import type { SelectHTMLAttributes } from "react";
import { FIELD_CLASS } from "./input";

export function Select({ className = "", ...props }: SelectHTMLAttributes<HTMLSelectElement>) {
  return <select className={`${FIELD_CLASS} ${className}`} {...props} />;
}
