/** All of stdin as UTF-8; at a terminal, says how to end the input first. */
export async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write("reading from stdin; end with Ctrl-D\n");
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
