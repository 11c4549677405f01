// The main area's views.
export type View = "clients" | "expiring" | "orphans" | "history";
