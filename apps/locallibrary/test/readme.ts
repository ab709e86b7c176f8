/**
 * The first command of the README's quick start: the first line of the first ```sh block after a
 * "Quick start" heading, without its trailing `# comment`. This is the marker the root README keeps.
 */
export function quickStartCommand(readme: string): string {
  const heading = /^#{1,6}[ \t]+Quick start[ \t]*$/im.exec(readme);
  if (!heading) throw new Error('README.md has no "Quick start" heading');
  const rest = readme.slice(heading.index + heading[0].length);
  const block = /^```(?:sh|bash|shell)[ \t]*\n([\s\S]*?)^```/m.exec(rest);
  if (!block?.[1]) throw new Error('README.md has no ```sh block after its "Quick start" heading');
  for (const line of block[1].split('\n')) {
    const command = line.replace(/(^|\s)#.*$/, '').trim();
    if (command !== '') return command;
  }
  throw new Error('the quick start ```sh block has no command');
}
