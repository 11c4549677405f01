// The main area's views. "keys" is the shown profile's keys, certificates and software
// statements (custody/KeysView.svelte); "duplicates" its clients registered more than once
// (views/DuplicatesView.svelte).
export type View = "clients" | "expiring" | "orphans" | "history" | "keys" | "duplicates";
