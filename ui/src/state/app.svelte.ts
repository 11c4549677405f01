// The window's state, in one place instead of in App.svelte: the profiles and the one
// shown, where the person is (selection), what changed (clients), the dialogs, the
// preferences and the toasts; and the operations that touch more than one component
// (a save closes the form and refreshes the list, a delete confirmed in a dialog shows
// the client's new state). Components read it through `useAppState()` and call its
// functions; App.svelte only lays the window out.
import { getContext, setContext } from "svelte";
import type { BulkProgress } from "../bindings";
import type { Profile } from "../bindings";
import type { RegisterOutcome } from "../bindings";
import type { Registration } from "../bindings";
import type { SyncOutcome } from "../bindings";
import type { Backend } from "../lib/backend";
import type { View } from "../lib/view";
import { asErrorView } from "../lib/errors";
import { ClientChanges } from "./clients.svelte";
import { Dialogs } from "./dialogs.svelte";
import { Prefs } from "./prefs.svelte";
import { Selection } from "./selection.svelte";
import { Toasts } from "./toasts.svelte";

/** The profile the window shows: the one shown if it is still there, else the last one
 *  used, else the local mock, else the first. */
export function profileToOpen(profiles: Profile[], shown: string | null, last: string | null): string | null {
  if (profiles.some((p) => p.name === shown)) return shown;
  const named = (name: string | null) => profiles.find((p) => p.name === name)?.name;
  return named(last) ?? named("Local mock") ?? profiles[0]?.name ?? null;
}

/** What the client form reports: a registration made, or an update sent. */
export interface Saved {
  registered?: RegisterOutcome;
  updated?: SyncOutcome;
}

export class AppState {
  readonly backend: Backend;
  readonly toasts = new Toasts();
  readonly prefs: Prefs;
  readonly selection = new Selection();
  readonly clients = new ClientChanges();
  readonly dialogs = new Dialogs();

  profiles: Profile[] = $state([]);
  /** Profiles are selected by name: the preferences remember the last one by name. */
  profileName: string | null = $state(null);
  readonly profile: Profile | null = $derived(this.profiles.find((p) => p.name === this.profileName) ?? null);
  /** A bulk refresh's progress while it runs (the app's "bulk-progress" events). */
  bulk: BulkProgress | null = $state(null);

  constructor(backend: Backend) {
    this.backend = backend;
    this.prefs = new Prefs(backend.platform);
  }

  /** Loads what the first screen needs and follows the app's events; returns the undo. */
  start(): () => void {
    let stopTracking: (() => void) | null = null;
    // The profiles are asked for at once, not after the preferences: the first screen
    // waits for one round trip less. Which one to open is decided when both are there.
    const listing = this.backend.api.listProfiles();
    listing.catch(() => {});
    this.prefs
      .load()
      .then(async (p) => {
        void this.loadProfiles(listing);
        stopTracking = await this.backend.platform.trackWindowSize(p.windowSize, (windowSize) => this.prefs.save({ windowSize }));
      })
      .catch(() => this.loadProfiles(listing));
    const off = this.backend.platform.on<BulkProgress>("bulk-progress", (p) => (this.bulk = p.done < p.total ? p : null));
    return () => {
      void off.then((f) => f());
      stopTracking?.();
    };
  }

  // The functions below are arrow functions: components are handed them as callbacks.

  /** Lists the profiles again (after a change, or a mock started) and keeps one shown. */
  loadProfiles = async (listing: Promise<Profile[]> = this.backend.api.listProfiles()): Promise<void> => {
    try {
      this.profiles = await listing;
    } catch (e) {
      this.toasts.push("error", asErrorView(e).message);
    }
    this.profileName = profileToOpen(this.profiles, this.profileName, this.prefs.current.lastProfile);
  };

  /** Runs `go` at once, or, when it would drop a form's changes, once the person agrees
   *  ("Discard changes?"). */
  leaveForm = (go: () => void): void => {
    if (this.selection.leavingDropsChanges) this.dialogs.discard = go;
    else go();
  };

  /** The "Discard changes?" question's answer. */
  answerDiscard = (discard: boolean): void => {
    const go = this.dialogs.discard;
    this.dialogs.discard = null;
    if (discard && go) {
      this.selection.formDirty = false;
      go();
    }
  };

  selectProfile = (name: string): void => {
    if (name === this.profileName && !this.selection.leavingDropsChanges) return this.#showProfile(name);
    this.leaveForm(() => this.#showProfile(name));
  };

  #showProfile(name: string): void {
    this.profileName = name;
    this.selection.reset();
    this.prefs.save({ lastProfile: name });
  }

  openClient = (clientId: string): void => this.leaveForm(() => this.selection.open(clientId));

  /** Another view of the main area (which closes a form shown in the clients view). */
  showView = (view: View): void => {
    if (view === this.selection.view) return;
    this.leaveForm(() => this.selection.showView(view));
  };

  /** A client of any profile (from the expiring secrets view). */
  openClientOf = (profileName: string, clientId: string): void => {
    this.leaveForm(() => {
      this.#showProfile(profileName);
      this.selection.open(clientId);
    });
  };

  /** A profile's keys and certificates (from the expiring view). */
  openKeysOf = (profileName: string): void => {
    this.selectProfile(profileName);
    this.selection.showView("keys");
  };

  /** The register form, when there is a profile to register on (the button and Ctrl+N). */
  startRegister = (): void => {
    if (!this.profile || this.selection.pane === "register") return;
    this.leaveForm(() => this.selection.register());
  };

  editClient = (registration: Registration): void => this.leaveForm(() => this.selection.edit(registration));

  askDelete = (registration: Registration): void => {
    this.dialogs.deleting = registration;
  };

  exportClient = (registration: Registration): void => {
    this.dialogs.exporting = [registration.client_id];
  };

  /** Several clients in one export (the list's selection). */
  exportClients = (clientIds: string[]): void => {
    if (clientIds.length) this.dialogs.exporting = [...clientIds];
  };

  tryClient = (registration: Registration): void => {
    this.dialogs.trying = registration;
  };

  /** The client form's answer: what must be seen once is shown, the form closes. */
  saved = (outcome: Saved): void => {
    if (outcome.registered) {
      this.dialogs.registered = outcome.registered;
      this.selection.clientId = outcome.registered.registration.client_id;
    }
    if (outcome.updated) {
      const d = outcome.updated.drift;
      this.toasts.push("info", d.changes.length ? `Saved; the provider changed ${d.changes.length} field(s) from what was sent` : "Saved");
      outcome.updated.warnings.forEach((w) => this.toasts.push("warning", w));
      this.dialogs.unstoredToken = outcome.updated.unstored_registration_access_token;
    }
    this.selection.pane = "detail";
    this.clients.changed();
  };

  /** The delete dialog's "Delete on the provider". */
  confirmDelete = async (): Promise<void> => {
    const target = this.dialogs.deleting;
    const profile = this.profile;
    if (!target || !profile) return;
    this.dialogs.deleting = null;
    try {
      const out = await this.backend.api.deleteClient(profile.id, target.client_id);
      // Drift is about a client on the provider: a deleted one has none left.
      this.clients.forgetDrift(target.client_id);
      this.toasts.push("info", `Deleted ${target.client_id} (HTTP ${out.status})`);
      out.warnings.forEach((w) => this.toasts.push("warning", w));
    } catch (e) {
      this.toasts.push("error", asErrorView(e).message);
    }
    this.clients.changed();
  };

  /** Reads every client of the profile shown from its provider. */
  refreshAll = async (): Promise<void> => {
    const profile = this.profile;
    if (!profile) return;
    try {
      const report = await this.backend.api.refreshAll(profile.id);
      const failed = report.items.filter((i) => i.error).length;
      // The core hands up every credential the keychain could not keep: the one chance.
      const lost = report.items.flatMap((i) => (i.unstored ? [i.unstored] : []));
      if (lost.length) this.dialogs.unstoredMany = lost;
      const total = report.items.length;
      this.toasts.push(failed ? "warning" : "info", `Refreshed ${total - failed} of ${total} client(s)${failed ? `; ${failed} failed` : ""}`);
    } catch (e) {
      this.toasts.push("error", asErrorView(e).message);
    } finally {
      this.bulk = null;
      this.clients.changed();
    }
  };

  /** The import dialog's success: the imported client is shown. */
  imported = (clientId: string): void => {
    this.dialogs.importing = false;
    this.clients.changed();
    this.openClient(clientId);
  };

  /** The profile form's save: the list is read again and the saved profile shown. */
  profileSaved = async (profile: Profile): Promise<void> => {
    this.dialogs.profileForm = null;
    await this.loadProfiles();
    this.selectProfile(profile.name);
  };

  removeProfile = async (profile: Profile): Promise<void> => {
    try {
      await this.backend.api.removeProfile(profile.id);
      this.dialogs.profileForm = null;
      await this.loadProfiles();
    } catch (e) {
      this.toasts.push("error", asErrorView(e).message);
    }
  };
}

const KEY = Symbol("registrar-state");

/** Makes the state reachable from every component below the caller (App.svelte). */
export function provideAppState(state: AppState): void {
  setContext(KEY, state);
}

export function useAppState(): AppState {
  return getContext<AppState>(KEY);
}
