package org.rnn4j.apps.seq2seq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code lrPatience}: the learning rate halves after every lrPatience-th validation in a row without improvement. */
class LearningRatePatienceTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void halvesAfterEveryNthValidationWithoutImprovement(int lrPatience) throws Exception {
        Seq2SeqResumeTest.Setup base = Seq2SeqResumeTest.EARLY_STOP;
        Seq2SeqTrainer.Options o = base.options();
        // a large learning rate and patience so the run sees several validations without improvement
        Seq2SeqTrainer.Options options = new Seq2SeqTrainer.Options(o.batchSize(), 12, null, o.seed(), 0.05, o.clipNorm(),
                50, 4, 0, lrPatience);
        Seq2SeqModel model = base.model();
        Seq2SeqTrainer trainer = new Seq2SeqTrainer(model, Seq2SeqResumeTest.trainSet(), base.val(), options);
        trainer.run(null);
        List<Seq2SeqTrainer.Validation> h = trainer.history();

        int bad = 0, halvings = 0;
        for (int i = 0; i + 1 < h.size(); i++) {
            bad = h.get(i).best() ? 0 : bad + 1;
            boolean halve = !h.get(i).best() && bad % lrPatience == 0;
            double expected = halve ? h.get(i).learningRate() * 0.5 : h.get(i).learningRate();
            assertEquals(expected, h.get(i + 1).learningRate(), "validation " + (i + 2) + " of " + h.size());
            if (halve) halvings++;
        }
        assertTrue(halvings >= 1, "the run must halve at least once for the test to mean something: " + h.size() + " validations");
    }
}
