package dev.microdiffusion.core.evaluation;

/**
 * The exact negative log-likelihood of texts under the autoregressive model a denoiser defines in a fixed {@link
 * DecodingOrder}: each text's row (its characters, then PAD to the row length) revealed one position at a time, each
 * position's probability the denoiser's softmax over every id but MASK, given the positions revealed before it, the
 * others masked, and the diffusion time at which the schedule masks that share. Unlike the {@link Nelbo}, no bound and
 * no Monte Carlo: the figure is deterministic. Per character, the end of a text counts as one symbol, as in the NELBO.
 *
 * @param order            the decoding order
 * @param texts            how many texts
 * @param symbols          their characters plus one end each
 * @param natsPerText      the mean exact NLL of a text's row, in nats
 * @param natsPerTextError its standard error over the texts
 * @param bitsPerChar      the same per symbol, in bits
 * @param bitsPerCharError its standard error
 */
public record OrderedLikelihood(DecodingOrder order, int texts, long symbols, double natsPerText,
        double natsPerTextError, double bitsPerChar, double bitsPerCharError) {
}
