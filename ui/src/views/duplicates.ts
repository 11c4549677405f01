// Duplicate registrations (issue 18): which stale clients are chosen, and what the
// confirmation and the results say. The groups and what is stale are the core's
// (`duplicate_registrations`); this only keeps the person's choice.
import type { CleanupAction, CleanupResult, DuplicateGroup } from "../bindings";

/** The chosen client ids that are still stale in `groups`, in the groups' order. */
export function chosenIds(groups: DuplicateGroup[], chosen: Set<string>): string[] {
  return groups.flatMap((g) => g.stale.map((m) => m.client_id)).filter((id) => chosen.has(id));
}

/** Every stale client id, for "select all". */
export function allStale(groups: DuplicateGroup[]): string[] {
  return groups.flatMap((g) => g.stale.map((m) => m.client_id));
}

/** `n` clients, in words. */
export const clients = (n: number): string => `${n} client${n === 1 ? "" : "s"}`;

/** The confirmation's question, naming the count and what happens. */
export function confirmQuestion(action: CleanupAction, count: number, profileName: string): string {
  const [them, their] = count === 1 ? ["it", "its"] : ["them", "their"];
  return action === "delete"
    ? `Delete ${clients(count)} at the provider of ${profileName}? The provider removes ${them} and ${their} credentials leave the keychain. This cannot be undone.`
    : `Forget ${clients(count)} of ${profileName} locally? ${count === 1 ? "Its record and credentials" : "Their records and credentials"} here are removed; the provider is not asked and still has ${them}.`;
}

/** The results in one line. */
export function resultSummary(action: CleanupAction, results: CleanupResult[]): string {
  const failed = results.filter((r) => r.error).length;
  const done = results.length - failed;
  const verb = action === "delete" ? "Deleted" : "Forgot";
  return `${verb} ${clients(done)}${failed ? `; ${failed} failed` : ""}.`;
}
