package dev.mfrecs.devkit.cli;

import dev.mfrecs.trainer.cli.CommandLines;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every dev kit command answers {@code -h} and {@code --help}, and every option has a description and shows its default. */
class DevkitHelpTest {

    @Test
    void everyDevkitCommandIsDocumentedAndAnswersHelp() {
        List<String> problems = CommandLines.helpProblems(DevkitCommand::new);
        assertEquals(List.of(), problems, String.join("\n", problems));
    }
}
