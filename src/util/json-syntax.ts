/**
 * JSON.parse's message with the line it points at instead of a character offset: "Expected double-quoted property
 * name in JSON at position 41" → line 3, "not valid JSON: Expected double-quoted property name". A file cut short
 * points at its last line. For the files read whole with JSON.parse: job files and plan.json.
 */
export function jsonSyntaxError(text: string, message: string): { line?: number; message: string } {
  const at = / JSON at position (\d+)/.exec(message);
  const end = text.trimEnd().length;
  const offset = at ? Math.min(Number(at[1]), end) : message.includes('end of JSON input') ? end : undefined;
  const line = offset === undefined ? undefined : text.slice(0, offset).split('\n').length;
  const what = message.replace(/ in JSON at position \d+.*$/s, '').replace(/ after JSON at position \d+.*$/s, ' after the JSON');
  return { ...(line === undefined ? {} : { line }), message: `not valid JSON: ${what}` };
}
