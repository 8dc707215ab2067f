package dev.microdiffusion.core.math;

/**
 * Chooses the matrix kernel all denoisers share. Today that is always the portable ojAlgo kernel; the
 * choice is made once, and logged once, so a faster implementation can be swapped in here alone.
 */
public final class MatrixKernels {

    private static final System.Logger LOG = System.getLogger(MatrixKernels.class.getName());

    private static volatile MatrixKernel preferred;

    private MatrixKernels() {
    }

    /** The kernel to use. */
    public static MatrixKernel preferred() {
        MatrixKernel kernel = preferred;
        if (kernel == null) {
            synchronized (MatrixKernels.class) {
                kernel = preferred;
                if (kernel == null) {
                    kernel = new OjAlgoMatrixKernel();
                    LOG.log(System.Logger.Level.DEBUG, "matrix kernel: " + kernel.name());
                    preferred = kernel;
                }
            }
        }
        return kernel;
    }
}
