package io.github.ajsessions.example.assistant;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.client.advisor.MessageChatMemoryAdvisor;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;

/**
 * Asks the application's chat model with the session's history: a Spring AI {@link ChatClient} whose memory
 * advisor reads and appends through the {@link ChatMemory} aj-sessions auto-configures on aj's file. The
 * conversation id is the aj session name, so a question continues a session the user started in aj, and aj
 * continues a session asked here.
 *
 * <p>The model is the application's {@link ChatModel} bean, from a Spring AI model starter (for example
 * {@code spring-ai-starter-model-openai} pointed at the server aj uses). Without one the application still
 * starts, and {@link #ask} refuses.
 */
@Service
public class AssistantService {

    private final ChatClient chat;

    /**
     * @param models the application's chat model, if it has exactly one
     * @param memory the chat memory on aj's file
     */
    public AssistantService(ObjectProvider<ChatModel> models, ChatMemory memory) {
        ChatModel model = models.getIfUnique();
        this.chat = model == null ? null : ChatClient.builder(model)
                .defaultAdvisors(MessageChatMemoryAdvisor.builder(memory).build())
                .build();
    }

    /**
     * Sends the question with the session's recent history (the memory's window, aj's preamble left out) and
     * appends the question and the answer to the session, which is created with aj's preamble when new. The
     * question is appended before the model is called and the answer after it, so a failed call leaves the
     * question without an answer, as aj does; the model's exception propagates.
     *
     * @param session the aj session name (the conversation id)
     * @param question the user's text
     * @return the model's answer
     * @throws IllegalStateException when the application has no single {@link ChatModel} bean
     * @throws IllegalArgumentException when the session name cannot be an aj session name, before the model is
     *         called or anything is written
     */
    public String ask(String session, String question) {
        if (chat == null) {
            throw new IllegalStateException("no ChatModel bean to ask: add a Spring AI model starter"
                    + " (for example spring-ai-starter-model-openai) or define one");
        }
        return chat.prompt().user(question)
                .advisors(a -> a.param(ChatMemory.CONVERSATION_ID, session))
                .call().content();
    }
}
