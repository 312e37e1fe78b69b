/** The Hibernate dialect for aj's SQLite file, named by the persistence unit and used by every store. */
package io.github.ajsessions.dialect;
