package dev.microdiffusion.core.evaluation;

/**
 * The held-out texts of one label under a labelled model, given their label and given none (the null label): how
 * much the label tells the model about them.
 *
 * @param texts         how many texts carry the label
 * @param conditional   their NELBO given their label
 * @param unconditional their NELBO given the null label
 */
public record LabelNelbo(int texts, Nelbo conditional, Nelbo unconditional) {
}
