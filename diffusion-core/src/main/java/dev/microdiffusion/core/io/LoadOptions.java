package dev.microdiffusion.core.io;

/**
 * What to assume for metadata a model file lacks, when loading one written elsewhere (from a PyTorch
 * {@code state_dict}, say); each may be null. Where the file has a value and an option differs from it, loading
 * fails rather than guess.
 *
 * @param denoiser       the denoiser's provider name
 * @param vocabulary     the tokenizer's symbols in id order, without PAD and MASK
 * @param maxLength      the row length
 * @param diffusionSteps T
 * @param schedule       the schedule's provider name
 * @param tokenizer      the tokenizer's provider name
 */
public record LoadOptions(String denoiser, String vocabulary, Integer maxLength, Integer diffusionSteps,
        String schedule, String tokenizer) {

    /**
     * Nothing assumed: the file must say everything it needs.
     *
     * @return the options that assume nothing
     */
    public static LoadOptions none() {
        return new LoadOptions(null, null, null, null, null, null);
    }
}
