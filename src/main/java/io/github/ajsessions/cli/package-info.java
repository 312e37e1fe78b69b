/** The {@code aj-sessions} command line: picocli commands over the session API, output formats, exit codes. */
package io.github.ajsessions.cli;
