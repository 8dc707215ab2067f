package dev.microdiffusion.core.evaluation;

/**
 * The negative ELBO of a set of texts under a model ({@code DiffusionModel.evaluation()}): an upper bound on their
 * negative log-likelihood, by Gauss–Legendre quadrature over t and Monte Carlo masks. Figures per character count
 * each text's end as one symbol (characters + 1 per text), to compare with autoregressive character models.
 *
 * @param texts              how many texts were scored
 * @param symbols            their characters plus one end per text
 * @param nodes              the quadrature nodes over t
 * @param maskDraws          the mask draws per text and node
 * @param natsPerText        mean NELBO of a text, in nats
 * @param natsPerTextError   its standard error over texts (Monte Carlo and data sampling together)
 * @param bitsPerChar        the total NELBO in bits over the total characters + 1 per text
 * @param bitsPerCharError   its standard error
 * @param reconstructionNats the mean of the t = 0 term (0 when rate(0) = 0)
 */
public record Nelbo(int texts, long symbols, int nodes, int maskDraws, double natsPerText, double natsPerTextError,
        double bitsPerChar, double bitsPerCharError, double reconstructionNats) {

    /** The quadrature nodes every NELBO of the library uses unless told otherwise. */
    public static final int DEFAULT_NODES = 16;

    /** The mask draws per text and node every NELBO of the library uses unless told otherwise. */
    public static final int DEFAULT_MASK_DRAWS = 1;

    /**
     * {@link #bitsPerChar()} in nats.
     *
     * @return the NELBO in nats per character
     */
    public double natsPerChar() {
        return bitsPerChar * Math.log(2);
    }
}
