package dev.mfrecs.evaluation;

import dev.mfrecs.trainer.cli.CommandLines;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every evaluation command answers {@code -h} and {@code --help}, and every option has a description and shows its default. */
class EvaluationHelpTest {

    @Test
    void everyEvaluationCommandIsDocumentedAndAnswersHelp() {
        List<String> problems = CommandLines.helpProblems(EvaluationCommand::new);
        assertEquals(List.of(), problems, String.join("\n", problems));
    }
}
