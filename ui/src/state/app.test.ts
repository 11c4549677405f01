import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { BulkReport } from "../bindings";
import type { Profile } from "../bindings";
import type { RegisterOutcome } from "../bindings";
import type { Registration } from "../bindings";
import type { SyncOutcome } from "../bindings";
import type { Api } from "../lib/api";
import { defaultPreferences, type Backend, type Preferences } from "../lib/backend";
import { AppState, profileToOpen } from "./app.svelte";

const profile = (name: string): Profile => ({ id: `id-${name}`, name }) as Profile;
const registration = (client_id: string): Registration => ({ client_id, client_name: null }) as Registration;

// A backend whose commands answer what a test gives; the calls are recorded.
function fakeBackend(api: Partial<Api> = {}) {
  const saved: Preferences[] = [];
  const backend: Backend = {
    api: { listProfiles: async () => [profile("a"), profile("b")], ...api } as Api,
    platform: {
      loadPreferences: async () => ({ ...defaultPreferences }),
      savePreferences: async (p) => void saved.push(p),
      copy: async () => {},
      on: async () => () => {},
      setTitle: async () => {},
      trackWindowSize: async () => () => {},
    },
  };
  return { backend, saved };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe("profileToOpen", () => {
  const list = [profile("a"), profile("Local mock"), profile("c")];
  it("keeps the profile shown while it exists", () => expect(profileToOpen(list, "c", "a")).toBe("c"));
  it("else the last one used", () => expect(profileToOpen(list, "gone", "a")).toBe("a"));
  it("else the local mock", () => expect(profileToOpen(list, null, "gone")).toBe("Local mock"));
  it("else the first", () => expect(profileToOpen([profile("x"), profile("y")], null, null)).toBe("x"));
  it("else none", () => expect(profileToOpen([], "a", "a")).toBeNull());
});

describe("app state", () => {
  it("opens the last profile used once the profiles are listed", async () => {
    const { backend } = fakeBackend();
    const s = new AppState(backend);
    s.prefs.current = { ...s.prefs.current, lastProfile: "b" };
    await s.loadProfiles();
    expect(s.profile?.id).toBe("id-b");
  });

  it("selecting a profile resets the client selection and remembers the profile", async () => {
    const { backend, saved } = fakeBackend();
    const s = new AppState(backend);
    await s.loadProfiles();
    s.openClient("c1");
    s.selection.search = "web";
    s.selection.showView("history");
    s.startRegister();
    s.selectProfile("b");
    expect(s.profile?.name).toBe("b");
    expect(s.selection.clientId).toBeNull();
    expect(s.selection.pane).toBe("detail");
    expect(s.selection.search).toBe("");
    expect(s.selection.view).toBe("clients");
    expect(saved.at(-1)?.lastProfile).toBe("b");
  });

  it("opens the register form only when there is a profile", async () => {
    const s = new AppState(fakeBackend({ listProfiles: async () => [] }).backend);
    await s.loadProfiles();
    s.startRegister();
    expect(s.selection.pane).toBe("detail");
  });

  it("a registration shows its once-only dialog and the new client, and the list reloads", () => {
    const s = new AppState(fakeBackend().backend);
    s.selection.register();
    const before = s.clients.version;
    const outcome = { registration: registration("new1"), status: 201, warnings: [] } as unknown as RegisterOutcome;
    s.saved({ registered: outcome });
    expect(s.dialogs.registered).toBe(outcome);
    expect(s.selection.clientId).toBe("new1");
    expect(s.selection.pane).toBe("detail");
    expect(s.clients.version).toBe(before + 1);
  });

  it("an update says what the provider changed and keeps a token the keychain refused", () => {
    const s = new AppState(fakeBackend().backend);
    const updated = {
      registration: registration("c1"),
      drift: { changes: [{ field: "scope" }] },
      warnings: ["careful"],
      unstored_registration_access_token: "tok",
    } as unknown as SyncOutcome;
    s.saved({ updated });
    expect(s.toasts.items.map((t) => [t.kind, t.text])).toEqual([
      ["info", "Saved; the provider changed 1 field(s) from what was sent"],
      ["warning", "careful"],
    ]);
    expect(s.dialogs.unstoredToken).toBe("tok");
  });

  it("a confirmed delete goes to the provider by profile id, then the list and detail reload", async () => {
    const deleteClient = vi.fn(async (_p: string, client_id: string) => ({ client_id, status: 204, warnings: [] }));
    const s = new AppState(fakeBackend({ deleteClient }).backend);
    await s.loadProfiles();
    s.askDelete(registration("c1"));
    const before = s.clients.version;
    await s.confirmDelete();
    expect(deleteClient).toHaveBeenCalledWith("id-a", "c1");
    expect(s.dialogs.deleting).toBeNull();
    expect(s.clients.version).toBe(before + 1);
  });

  it("a failed delete is said, and the clients are read again all the same", async () => {
    const s = new AppState(fakeBackend({ deleteClient: async () => Promise.reject({ code: "network", message: "down" }) }).backend);
    await s.loadProfiles();
    s.askDelete(registration("c1"));
    const before = s.clients.version;
    await s.confirmDelete();
    expect(s.toasts.items.at(-1)).toMatchObject({ kind: "error", text: "down" });
    expect(s.clients.version).toBe(before + 1);
  });

  it("a bulk refresh gathers the credentials to copy and ends the progress", async () => {
    const unstored = { client_id: "c2", registration_access_token: "t", client_secret: null, why: "locked" };
    const report = {
      skipped: 0,
      items: [
        { client_id: "c1", error: null, unstored: null },
        { client_id: "c2", error: null, unstored },
        { client_id: "c3", error: { message: "x" }, unstored: null },
      ],
    } as unknown as BulkReport;
    const s = new AppState(fakeBackend({ refreshAll: async () => report }).backend);
    await s.loadProfiles();
    s.bulk = { done: 1, total: 3 } as never;
    const before = s.clients.version;
    await s.refreshAll();
    expect(s.dialogs.unstoredMany).toEqual([unstored]);
    expect(s.bulk).toBeNull();
    expect(s.toasts.items.at(-1)).toMatchObject({ kind: "warning", text: "Refreshed 2 of 3 client(s); 1 failed" });
    expect(s.clients.version).toBe(before + 1);
  });

  it("an imported client is shown and the list reloads", () => {
    const s = new AppState(fakeBackend().backend);
    s.dialogs.importing = true;
    const before = s.clients.version;
    s.imported("c9");
    expect(s.dialogs.importing).toBe(false);
    expect(s.selection.clientId).toBe("c9");
    expect(s.clients.version).toBe(before + 1);
  });

  it("a client read from the provider keeps its drift and signals the change", () => {
    const s = new AppState(fakeBackend().backend);
    const drift = { changes: [] };
    s.clients.refreshed("c1", drift);
    expect(s.clients.driftOf("c1")).toBe(drift);
    expect(s.clients.driftOf("c2")).toBeNull();
    expect(s.clients.version).toBe(1);
  });

  it("toasts other than errors go by themselves", () => {
    const s = new AppState(fakeBackend().backend);
    s.toasts.push("info", "done");
    s.toasts.push("error", "failed");
    vi.advanceTimersByTime(6000);
    expect(s.toasts.items.map((t) => t.text)).toEqual(["failed"]);
  });
});
