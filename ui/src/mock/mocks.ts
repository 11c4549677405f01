// What the mock control says: the dialects a mock can speak, and the question asked before
// a mock whose profile holds clients is stopped.

/** The embedded mock's dialects (the value is what `mock_start` takes). */
export const DIALECTS: { value: string; label: string }[] = [
  { value: "generic", label: "generic (RFC 7591/7592)" },
  { value: "soffid", label: "Soffid" },
  { value: "wso2", label: "WSO2 IS 5.3" },
  { value: "indigo", label: "INDIGO IAM" },
  { value: "simpleidserver", label: "SimpleIdServer" },
  { value: "liberty", label: "IBM Liberty" },
];

/** The question before stopping a mock whose profile holds `clients` clients. */
export function stopQuestion(mock: { dialect: string; profile: string }, clients: number): string {
  const them = clients === 1 ? "1 client" : `${clients} clients`;
  return `Stop the ${mock.dialect} mock? ${them} of profile "${mock.profile}" will become unreachable: they stay in the list, but the provider that holds them is gone (a new mock starts empty).`;
}
