// Where the person is in the window: the main area's view, the client selected, and what
// the right-hand pane shows for it (its detail, or the form to register or edit one).
import type { Registration } from "../bindings";
import type { View } from "../lib/view";

export type Pane = "detail" | "register" | "edit";


export class Selection {
  view: View = $state("clients");
  clientId: string | null = $state(null);
  pane: Pane = $state("detail");
  /** The client the edit form was opened for (its metadata as it was then). */
  editing: Registration | null = $state(null);
  /** The client list's search text; a profile opened afresh starts without one. */
  search = $state("");
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

  showView = (view: View): void => {
    this.view = view;
  };
}
