/**
 * Files written whole or not at all, and output targets checked before long work starts ({@link
 * dev.microdiffusion.core.io.AtomicFiles}).
 */
package dev.microdiffusion.core.io;
