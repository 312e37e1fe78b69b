/** The assistant: a Spring AI {@code ChatClient} whose conversation memory is aj's file. */
package io.github.ajsessions.example.assistant;
