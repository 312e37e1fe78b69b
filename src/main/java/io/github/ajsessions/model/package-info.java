/**
 * The JPA entities that map aj's three tables ({@code conversations}, {@code messages},
 * {@code awful_configs}) column by column, and their converters. Imports nothing else of the module.
 */
package io.github.ajsessions.model;
