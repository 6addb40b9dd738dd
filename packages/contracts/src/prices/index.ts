export * from "./entry-price";
export * from "./lookup-price";
export * from "./price";
export * from "./price-table";
