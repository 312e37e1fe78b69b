/** Past one laptop: sync aj.db files into a PostgreSQL server, and pull a server session back into an aj.db. */
package io.github.ajsessions.postgres;
