package dev.microdiffusion.core.math;

import java.util.Locale;
import java.util.Optional;

/**
 * Chooses, once, the matrix kernel all denoisers share, and says which in one log line (the pattern of Lucene's
 * VectorizationProvider): the Panama Vector API kernel when the JVM runs with
 * {@code --add-modules jdk.incubator.vector}, else the portable ojAlgo kernel. The system property
 * {@code microdiffusion.kernel} ({@code vector} or {@code ojalgo}) forces a choice.
 */
public final class MatrixKernels {

    /** The system property that picks a kernel by {@link MatrixKernel#name()} ("ojalgo" forces the portable one). */
    public static final String PROPERTY = "microdiffusion.kernel";
    static final String VECTOR_MODULE = "jdk.incubator.vector";
    private static final String VECTOR_KERNEL = "dev.microdiffusion.core.math.VectorMatrixKernel";
    private static final System.Logger LOG = System.getLogger(MatrixKernels.class.getName());

    private static volatile MatrixKernel preferred;

    private MatrixKernels() {
    }

    /** {@return the kernel to use} */
    public static MatrixKernel preferred() {
        MatrixKernel kernel = preferred;
        if (kernel == null) {
            synchronized (MatrixKernels.class) {
                kernel = preferred;
                if (kernel == null) {
                    kernel = choose();
                    preferred = kernel;
                }
            }
        }
        return kernel;
    }

    /** {@return the portable kernel, always available (tests compare the fast one against it)} */
    public static MatrixKernel portable() {
        return new OjAlgoMatrixKernel();
    }

    /**
     * {@return the Panama Vector API kernel, when this JVM has {@code jdk.incubator.vector} (tests hold it to the
     * portable one)}
     */
    public static Optional<MatrixKernel> vector() {
        return Optional.ofNullable(vectorOrNull());
    }

    private static MatrixKernel vectorOrNull() {
        if (ModuleLayer.boot().findModule(VECTOR_MODULE).isEmpty()) {
            return null;
        }
        try {
            // by name, so that this class links without jdk.incubator.vector
            return (MatrixKernel) Class.forName(VECTOR_KERNEL).getConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            LOG.log(System.Logger.Level.WARNING, "cannot load the Vector API kernel: " + e);
            return null;
        }
    }

    private static MatrixKernel choose() {
        String wanted = System.getProperty(PROPERTY, "").trim().toLowerCase(Locale.ROOT);
        if (!wanted.isEmpty() && !wanted.equals("vector") && !wanted.equals("ojalgo")) {
            throw new IllegalArgumentException(PROPERTY + " must be 'vector' or 'ojalgo', got '" + wanted + "'");
        }
        MatrixKernel vector = wanted.equals("ojalgo") ? null : vectorOrNull();
        if (wanted.equals("vector") && vector == null) {
            throw new IllegalStateException(PROPERTY + "=vector needs the JVM option --add-modules " + VECTOR_MODULE);
        }
        if (vector != null) {
            LOG.log(System.Logger.Level.INFO, "matrix kernel: Panama Vector API (" + VECTOR_MODULE + ")");
            return vector;
        }
        LOG.log(System.Logger.Level.INFO, "matrix kernel: ojAlgo (portable); run java with --add-modules "
                + VECTOR_MODULE + " for the faster Panama Vector API kernel");
        return portable();
    }
}
