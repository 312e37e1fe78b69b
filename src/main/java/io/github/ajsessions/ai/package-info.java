/**
 * Chat memory over aj's sessions for Java AI frameworks: the framework-neutral part shared by the
 * Spring AI adapter ({@code io.github.ajsessions.ai.springai}) and the LangChain4j adapter
 * ({@code io.github.ajsessions.ai.langchain4j}). aj's history is append-only: the adapters append, read
 * a window of the newest rows, and never delete a row because a window dropped it.
 */
package io.github.ajsessions.ai;
