// The discovery chain from a protected resource (issue 18), as the window shows it: a mark
// in words for each hop's state (never colour alone), where the chain stops, and a name
// for the profile it proposes. What the hops found and whether they are right is the
// core's to say (`ResourceChain`, `ChainStep`); this only arranges it.
import type { ChainStep, ResourceChain, StepState } from "../bindings";

/** A hop's state as a symbol and a word, so it reads without colour. */
export function stepMark(state: StepState): { symbol: string; label: string } {
  switch (state) {
    case "ok":
      return { symbol: "✓", label: "OK" };
    case "warning":
      return { symbol: "!", label: "Warning" };
    default:
      return { symbol: "✕", label: "Failed" };
  }
}

/** The index of the hop where the chain stops (the first failed one), or -1. Later
 *  hops may still be there: one authorization server failing does not stop the next. */
export function stopIndex(steps: ChainStep[]): number {
  return steps.findIndex((s) => s.state === "failed");
}

/** Whether the chain reached an authorization server a client can use. */
export function chainUsable(chain: ResourceChain): boolean {
  return chain.authorization_servers.some((s) => s.usable);
}

/** A profile name for the chain: the metadata's `resource_name`, else the resource's
 *  host and path ("mcp.example.org/mcp"). */
export function chainProfileName(chain: ResourceChain): string {
  const named = chain.metadata?.resource_name?.trim();
  if (named) return named;
  try {
    const u = new URL(chain.url);
    const path = u.pathname.replace(/\/+$/, "");
    return `${u.host}${path}`;
  } catch {
    return chain.url;
  }
}

/** The authorization server the proposed profile uses: the first usable one's issuer. */
export function chosenServer(chain: ResourceChain): string | null {
  return chain.authorization_servers.find((s) => s.usable)?.issuer ?? null;
}

/** What a failed hop means for the chain: where it stops, or, for one authorization
 *  server of several, that another one is used. Null for a hop that did not fail. */
export function failedNote(steps: ChainStep[], index: number): string | null {
  const s = steps[index];
  if (!s || s.state !== "failed") return null;
  const otherServer = steps.some((n, i) => i !== index && n.kind === "authorization_server" && n.state !== "failed");
  if (s.kind === "authorization_server" && otherServer) return "This authorization server cannot be used; another one can.";
  return "The chain stops here.";
}
