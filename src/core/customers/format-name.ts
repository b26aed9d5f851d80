/** "Jan van der Berg": first name, infix and last name, skipping the missing parts. */
export function formatFullName(customer: { firstName: string | null; infix: string | null; lastName: string | null }): string | null {
  const parts = [customer.firstName, customer.infix, customer.lastName].map((part) => part?.trim()).filter((part): part is string => Boolean(part));
  return parts.length > 0 ? parts.join(' ') : null;
}
