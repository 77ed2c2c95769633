package dev.mfrecs.trainer.cli;

import dev.mfrecs.trainer.settings.AlgorithmSettings;
import dev.mfrecs.trainer.settings.Hyperparameter;

import java.util.ListResourceBundle;

/**
 * The help texts of the hyper-parameter options ({@link HyperparameterOptions}) as a resource bundle picocli reads by description
 * key: each text is generated from {@link AlgorithmSettings#TABLE}, so {@code --help} shows every default per algorithm and can
 * never disagree with what the trainer, {@code evaluate} and {@code tune} use.
 */
public final class HyperparameterHelp extends ListResourceBundle {

    @Override
    protected Object[][] getContents() {
        Hyperparameter[] all = Hyperparameter.values();
        Object[][] out = new Object[all.length][];
        for (int j = 0; j < all.length; j++) {
            out[j] = new Object[] { all[j].cliName(), AlgorithmSettings.describe(all[j]) };
        }
        return out;
    }
}
