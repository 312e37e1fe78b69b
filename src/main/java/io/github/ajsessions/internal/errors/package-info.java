/**
 * The one translation of SQLite result codes into the module's exceptions (and into Hibernate's
 * exception types for plain JPA users). Internal: not part of the public API.
 */
package io.github.ajsessions.internal.errors;
