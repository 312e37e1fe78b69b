--liquibase formatted sql

--changeset app:1
CREATE TABLE app_notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL);
