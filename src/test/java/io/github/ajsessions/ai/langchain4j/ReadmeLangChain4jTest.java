package io.github.ajsessions.ai.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.MemoryId;
import dev.langchain4j.store.memory.chat.ChatMemoryStore;
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

/** The README's LangChain4j example with a fake model (no network): an AI service's memory on aj's file. */
class ReadmeLangChain4jTest {

    interface Assistant {
        @dev.langchain4j.service.SystemMessage("Be brief.")
        String chat(@MemoryId String session, @dev.langchain4j.service.UserMessage String question);
    }

    /** Answers "answer N" and records what it was sent. */
    static final class FakeModel implements ChatModel {
        final List<List<ChatMessage>> requests = new ArrayList<>();

        @Override
        public ChatResponse doChat(ChatRequest request) {
            requests.add(request.messages());
            return ChatResponse.builder().aiMessage(AiMessage.from("answer " + requests.size())).build();
        }
    }

    @TempDir
    Path dir;

    @Test
    void anAiServiceKeepsItsMemoryInAjsFileAndAjContinuesIt() throws Exception {
        try (SessionStore store = AiFiles.open(dir, SchemaVariant.AJ_INIT)) {
            FakeModel chatModel = new FakeModel();
            new AjClient(store.file()).turn("research", "aj's question", "aj's answer");

            ChatMemoryStore ajStore = new AjChatMemoryStore(AjMemory.builder(store).maxMessages(20).build());
            Assistant assistant = AiServices.builder(Assistant.class).chatModel(chatModel)
                    .chatMemoryProvider(id -> MessageWindowChatMemory.builder().id(id).maxMessages(20)
                            .chatMemoryStore(ajStore).build()).build();

            assertThat(assistant.chat("research", "What is WAL?")).isEqualTo("answer 1");
            assertThat(assistant.chat("research", "And the journal?")).isEqualTo("answer 2");
            // the model saw aj's turn, the service's system message (where LangChain4j added it) and the earlier question
            assertThat(chatModel.requests.get(1)).contains(SystemMessage.from("Be brief."));
            assertThat(chatModel.requests.get(1).toString()).contains("aj's question", "aj's answer", "What is WAL?",
                    "answer 1", "And the journal?");

            List<AjClient.Row> rows = new AjClient(store.file()).turn("research", "aj again", "sure");
            assertThat(rows).extracting(AjClient.Row::content).endsWith("aj's answer", "Be brief.", "What is WAL?",
                    "answer 1", "And the journal?", "answer 2", "aj again", "sure");
        }
    }
}
