package io.github.ajsessions.ai.springai;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.ajsessions.AjClient;
import io.github.ajsessions.ai.AiFiles;
import io.github.ajsessions.ai.AjMemory;
import io.github.ajsessions.api.SessionStore;
import io.github.ajsessions.core.SchemaVariant;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.client.advisor.MessageChatMemoryAdvisor;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.Prompt;

/** The README's Spring AI example with a fake model (no network): a ChatClient's memory advisor on aj's file. */
class ReadmeSpringAiTest {

    /** Answers "answer N" and records what it was sent. */
    static final class FakeModel implements ChatModel {
        final List<List<Message>> requests = new ArrayList<>();

        @Override
        public ChatResponse call(Prompt prompt) {
            requests.add(prompt.getInstructions());
            return new ChatResponse(List.of(new Generation(new AssistantMessage("answer " + requests.size()))));
        }
    }

    @TempDir
    Path dir;

    @Test
    void aChatClientKeepsItsMemoryInAjsFileAndAjContinuesIt() throws Exception {
        try (SessionStore store = AiFiles.open(dir, SchemaVariant.AJ_INIT)) {
            FakeModel chatModel = new FakeModel();
            new AjClient(store.file()).turn("research", "aj's question", "aj's answer");

            ChatMemory memory = new AjChatMemory(AjMemory.builder(store).maxMessages(20).build());
            ChatClient chat = ChatClient.builder(chatModel)
                    .defaultAdvisors(MessageChatMemoryAdvisor.builder(memory).build()).build();
            String answer = chat.prompt().user("What is WAL?")
                    .advisors(a -> a.param(ChatMemory.CONVERSATION_ID, "research")).call().content();
            assertThat(answer).isEqualTo("answer 1");
            chat.prompt().system("Be brief.").user("And the journal?")
                    .advisors(a -> a.param(ChatMemory.CONVERSATION_ID, "research")).call().content();

            // the model saw aj's turn and the earlier exchange; the request's system prompt was not stored
            assertThat(chatModel.requests.get(1)).extracting(Message::getText).containsSubsequence(
                    "aj's question", "aj's answer", "What is WAL?", "answer 1", "And the journal?");
            List<AjClient.Row> rows = new AjClient(store.file()).turn("research", "aj again", "sure");
            assertThat(rows).extracting(AjClient.Row::content).endsWith("aj's answer", "What is WAL?", "answer 1",
                    "And the journal?", "answer 2", "aj again", "sure");
            assertThat(rows).extracting(AjClient.Row::content).doesNotContain("Be brief.");
        }
    }
}
