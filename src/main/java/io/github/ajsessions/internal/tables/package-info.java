/**
 * The one home of aj's three tables: their column lists, the row binders and mappers to the session
 * API's records, the single and batched inserts, and aj's rules (roles, preamble, id limit, snapshot
 * comparison), each defined once. Every path that reads or writes aj's rows goes through here.
 */
package io.github.ajsessions.internal.tables;
