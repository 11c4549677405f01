// Where the person is in the window: the main area's view, the client selected, and what
// the right-hand pane shows for it (its detail, or the form to register or edit one).
import type { Registration } from "../bindings";
import type { RegistrationStatus } from "../bindings";
import type { View } from "../lib/view";

export type Pane = "detail" | "register" | "edit";
/** The client list's status filter: "current" is every client but the deleted ones. */
export type StatusFilter = "current" | "all" | "active" | "pending_recovery" | "deleted";
export const STATUS_FILTERS: [StatusFilter, string][] = [
  ["current", "Not deleted"],
  ["active", "Active"],
  ["pending_recovery", "Pending recovery"],
  ["deleted", "Deleted"],
  ["all", "All"],
];

/** The list query's status fields for a filter. */
export function statusQuery(filter: StatusFilter): { status: RegistrationStatus | null; exclude_deleted: boolean } {
  if (filter === "current") return { status: null, exclude_deleted: true };
  if (filter === "all") return { status: null, exclude_deleted: false };
  return { status: filter, exclude_deleted: false };
}

export class Selection {
  view: View = $state("clients");
  clientId: string | null = $state(null);
  pane: Pane = $state("detail");
  /** The client the edit form was opened for (its metadata as it was then). */
  editing: Registration | null = $state(null);
  /** The client list's search text; a profile opened afresh starts without one. */
  search = $state("");
  /** Which clients the list shows by status; deleted ones (history) only when asked. */
  status: StatusFilter = $state("current");
  /** The register or edit form shown holds changes not sent (the form says so). */
  formDirty = $state(false);

  /** Whether leaving the pane now would drop a form's changes. */
  get leavingDropsChanges(): boolean {
    return (this.pane === "register" || this.pane === "edit") && this.formDirty;
  }

  /** Another profile: its client list, nothing selected, no search. */
  reset(): void {
    this.view = "clients";
    this.clientId = null;
    this.pane = "detail";
    this.search = "";
    this.formDirty = false;
  }

  open = (clientId: string): void => {
    this.clientId = clientId;
    this.pane = "detail";
    this.formDirty = false;
  };

  register(): void {
    if (this.pane !== "register") this.formDirty = false;
    this.pane = "register";
  }

  edit(registration: Registration): void {
    this.editing = registration;
    this.pane = "edit";
    this.formDirty = false;
  }

  closeEditor = (): void => {
    this.pane = "detail";
    this.formDirty = false;
  };

  /** Nothing selected: the list alone (how a narrow window closes the pane over it). */
  closePane = (): void => {
    this.clientId = null;
    this.pane = "detail";
    this.formDirty = false;
  };

  showView = (view: View): void => {
    this.view = view;
  };
}
