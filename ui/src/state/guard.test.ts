// The list's status filter as a query, and the "Discard changes?" guard (issue 21).
import { describe, expect, it } from "vitest";
import type { Profile } from "../bindings";
import type { Registration } from "../bindings";
import type { Api } from "../lib/api";
import { defaultPreferences, type Backend } from "../lib/backend";
import { AppState } from "./app.svelte";
import { statusQuery } from "./selection.svelte";

const profile = (name: string): Profile => ({ id: `id-${name}`, name }) as Profile;

function state(): AppState {
  const backend: Backend = {
    api: { listProfiles: async () => [profile("a"), profile("b")] } as unknown as Api,
    platform: {
      loadPreferences: async () => ({ ...defaultPreferences }),
      savePreferences: async () => {},
      copy: async () => {},
      on: async () => () => {},
      setTitle: async () => {},
      trackWindowSize: async () => () => {},
    },
  };
  return new AppState(backend);
}

describe("the list's status filter", () => {
  it("leaves deleted clients out by default, and shows them when asked", () => {
    expect(statusQuery("current")).toEqual({ status: null, exclude_deleted: true });
    expect(statusQuery("all")).toEqual({ status: null, exclude_deleted: false });
    expect(statusQuery("deleted")).toEqual({ status: "deleted", exclude_deleted: false });
    expect(statusQuery("pending_recovery")).toEqual({ status: "pending_recovery", exclude_deleted: false });
  });
});

describe("discard changes?", () => {
  it("goes at once from a form without changes", async () => {
    const s = state();
    await s.loadProfiles();
    s.startRegister();
    s.openClient("c1");
    expect(s.dialogs.discard).toBeNull();
    expect(s.selection.clientId).toBe("c1");
    expect(s.selection.pane).toBe("detail");
  });

  it("asks before a form's changes are dropped, and keeps the form unless told", async () => {
    const s = state();
    await s.loadProfiles();
    s.startRegister();
    s.selection.formDirty = true;
    s.openClient("c1");
    expect(s.dialogs.discard).not.toBeNull();
    expect(s.selection.pane).toBe("register");
    s.answerDiscard(false);
    expect(s.dialogs.discard).toBeNull();
    expect(s.selection.pane).toBe("register");

    s.editClient({ client_id: "c2", client_name: null } as Registration);
    expect(s.selection.pane).toBe("register");
    s.answerDiscard(true);
    expect(s.selection.pane).toBe("edit");
    expect(s.selection.formDirty).toBe(false);
  });

  it("asks before another view drops the form", async () => {
    const s = state();
    await s.loadProfiles();
    s.startRegister();
    s.selection.formDirty = true;
    s.showView("history");
    expect(s.selection.view).toBe("clients");
    s.answerDiscard(true);
    expect(s.selection.view).toBe("history");
  });

  it("asks before another profile drops the form", async () => {
    const s = state();
    await s.loadProfiles();
    s.startRegister();
    s.selection.formDirty = true;
    s.selectProfile("b");
    expect(s.profileName).not.toBe("b");
    s.answerDiscard(true);
    expect(s.profileName).toBe("b");
    expect(s.selection.pane).toBe("detail");
  });
});
