/** The backend seam: what differs between aj's SQLite file and a PostgreSQL server, chosen from the URL. */
package io.github.ajsessions.internal.backend;
