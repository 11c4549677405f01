import { describe, expect, it } from "vitest";
import type { ChainStep, ResourceChain } from "../bindings";
import { chainProfileName, chainUsable, chosenServer, failedNote, stepMark, stopIndex } from "./chain";

const step = (state: ChainStep["state"]): ChainStep => ({ kind: "resource", title: "t", url: null, status: null, state, said: [], problems: [] });

function chain(over: Partial<ResourceChain> = {}): ResourceChain {
  return {
    url: "http://127.0.0.1:8080/mcp",
    resource: "http://127.0.0.1:8080/mcp",
    challenge: null,
    metadata: null,
    authorization_servers: [],
    scopes: [],
    protocol: "mcp",
    steps: [],
    ...over,
  };
}

const server = (issuer: string, usable: boolean) => ({ issuer, discovery: null, pkce_s256: usable, registration_endpoint: null, client_id_metadata_documents: false, usable });

describe("discovery chain", () => {
  it("marks each state with a symbol and a word", () => {
    expect(stepMark("ok")).toEqual({ symbol: "✓", label: "OK" });
    expect(stepMark("warning").label).toBe("Warning");
    expect(stepMark("failed").label).toBe("Failed");
  });
  it("stops at the first failed hop", () => {
    expect(stopIndex([step("ok"), step("warning")])).toBe(-1);
    expect(stopIndex([step("ok"), step("failed"), step("failed")])).toBe(1);
  });
  it("names the profile after the resource", () => {
    expect(chainProfileName(chain())).toBe("127.0.0.1:8080/mcp");
    expect(chainProfileName(chain({ url: "https://mcp.example.org/" }))).toBe("mcp.example.org");
    const metadata = { url: "", resource: null, authorization_servers: [], scopes_supported: [], bearer_methods_supported: [], resource_name: " Tools ", resource_documentation: null, document: {} };
    expect(chainProfileName(chain({ metadata }))).toBe("Tools");
  });
  it("uses the first usable authorization server", () => {
    const c = chain({ authorization_servers: [server("https://a.example", false), server("https://b.example", true)] });
    expect(chainUsable(c)).toBe(true);
    expect(chosenServer(c)).toBe("https://b.example");
    expect(chainUsable(chain())).toBe(false);
    expect(chosenServer(chain())).toBeNull();
  });
  it("says where a failed hop leaves the chain", () => {
    const as = (state: ChainStep["state"]): ChainStep => ({ ...step(state), kind: "authorization_server" });
    expect(failedNote([step("ok"), step("failed")], 1)).toBe("The chain stops here.");
    expect(failedNote([step("ok")], 0)).toBeNull();
    expect(failedNote([step("ok"), as("failed"), as("ok")], 1)).toContain("another one can");
    expect(failedNote([step("ok"), as("ok"), as("failed")], 2)).toContain("another one can");
    expect(failedNote([step("ok"), as("failed"), as("failed")], 2)).toBe("The chain stops here.");
  });
});
