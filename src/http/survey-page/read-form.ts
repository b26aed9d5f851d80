/**
 * What the survey page reads of a request: a fetch Request, or the lighter one the node:http route
 * for answer posts builds (survey-page-node-route.ts).
 */
export interface PageRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: { get(name: string): string | null };
  text(): Promise<string>;
  formData(): Promise<FormData>;
}

/** The fields of a posted form, repeated fields (ticked choices) included. */
export interface PostedForm {
  get(name: string): string | null;
  getAll(name: string): string[];
}

/**
 * Reads a form post. URL-encoded bodies (what a plain HTML form sends) are parsed here with
 * URLSearchParams: the server adapter's `formData()` keeps only the last value of a repeated
 * field, which would drop all but one ticked choice. Other bodies go through `formData()`;
 * a body that is no form reads as empty.
 */
export async function readForm(request: PageRequest): Promise<PostedForm> {
  const type = request.headers.get('content-type') ?? '';
  if (type.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    const params = new URLSearchParams(await request.text().catch(() => ''));
    return { get: (name) => params.get(name), getAll: (name) => params.getAll(name) };
  }
  const form = await request.formData().catch(() => new FormData());
  const text = (value: FormDataEntryValue | null) => (typeof value === 'string' ? value : null);
  return { get: (name) => text(form.get(name)), getAll: (name) => form.getAll(name).filter((value): value is string => typeof value === 'string') };
}
