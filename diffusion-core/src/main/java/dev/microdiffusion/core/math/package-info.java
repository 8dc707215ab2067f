/**
 * The kernel interface the denoisers compute through ({@link dev.microdiffusion.core.math.MatrixKernel}): a portable
 * implementation (ojAlgo) and a Panama Vector API one, chosen once per JVM by {@link
 * dev.microdiffusion.core.math.MatrixKernels#preferred()}, which logs which runs. Both give the same results within
 * the tolerances the kernel agreement tests hold.
 */
package dev.microdiffusion.core.math;
