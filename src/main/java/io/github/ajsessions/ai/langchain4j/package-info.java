/**
 * LangChain4j chat memory over aj's sessions: {@link io.github.ajsessions.ai.langchain4j.AjChatMemoryStore},
 * a {@code ChatMemoryStore} for LangChain4j's window memories that appends and deletes nothing. Needs
 * {@code dev.langchain4j:langchain4j-core} 1.x on the class path.
 */
package io.github.ajsessions.ai.langchain4j;
