/**
 * Spring AI chat memory over aj's sessions: {@link io.github.ajsessions.ai.springai.AjChatMemory}
 * (a {@code ChatMemory} that appends), {@link io.github.ajsessions.ai.springai.AjChatMemoryRepository}
 * (a {@code ChatMemoryRepository} for Spring AI's window memory that deletes nothing), and their
 * auto-configuration. Needs {@code org.springframework.ai:spring-ai-model} 2.0.x on the class path.
 */
package io.github.ajsessions.ai.springai;
