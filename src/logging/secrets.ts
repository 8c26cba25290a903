/**
 * Every secret the process knows (password, tokens). One place redacts them, used by the logger,
 * the report writer and error printing, so a secret cannot leak through a path someone forgot.
 */
export class Secrets {
  private readonly values = new Set<string>();

  add(value: string | undefined): void {
    // Very short values would redact ordinary words; a real password or token is longer.
    if (value && value.length >= 4) this.values.add(value);
  }

  redact(text: string): string {
    let out = text;
    for (const value of this.values) if (out.includes(value)) out = out.split(value).join('***');
    return out;
  }
}
