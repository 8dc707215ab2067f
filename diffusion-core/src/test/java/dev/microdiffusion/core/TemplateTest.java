package dev.microdiffusion.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.microdiffusion.core.sampling.Canvas;
import dev.microdiffusion.core.sampling.Template;
import dev.microdiffusion.core.spi.Tokenizer;
import org.junit.jupiter.api.Test;

class TemplateTest {

    private final Tokenizer tokenizer = new TinyTokenizer("abem", 6);
    private final int p = 4;
    private final int m = 5;

    @Test
    void patternsPrefixesAndSuffixes() {
        assertArrayEquals(new int[] {2, 3, m, m, 0, p}, Template.pattern(tokenizer, "em__a").ids());
        assertEquals(5, Template.pattern(tokenizer, "em__a").exactLength());
        assertArrayEquals(new int[] {2, 3, m, m, m, m}, Template.of(tokenizer, "em", null, null).ids());
        assertEquals(0, Template.of(tokenizer, "em", null, null).exactLength());
        assertArrayEquals(new int[] {0, m, m, 1, p, p}, Template.of(tokenizer, "a", "b", 4).ids());
        assertArrayEquals(new int[] {m, m, m, m, m, m}, Template.free(tokenizer).ids());
        assertTrue(Template.free(tokenizer).isFree());
        assertArrayEquals(new int[] {2, m, m, p, p, p}, Template.of(tokenizer, "e", null, null, 3).ids());
        assertEquals(0, Template.of(tokenizer, "e", null, null, 3).exactLength(), "shorter names stay possible");
    }

    @Test
    void templatesThatCannotFitAreRefused() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Template.pattern(tokenizer, "em__a__"))
                .getMessage().contains("longer than the model's 6 positions"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Template.pattern(tokenizer, "ez_"))
                .getMessage().contains("'z' at position 2 of the template"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Template.of(tokenizer, "ab", "ba", 3))
                .getMessage().contains("do not fit in 3"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Template.of(tokenizer, null, "a", null))
                .getMessage().contains("needs an exact length"));
        assertThrows(IllegalArgumentException.class, () -> Template.of(tokenizer, null, null, 7));
        assertThrows(IllegalArgumentException.class, () -> Template.pattern(tokenizer, "  "));
        assertThrows(IllegalArgumentException.class, () -> Template.of(tokenizer, "abe", null, null, 2));
        assertThrows(IllegalArgumentException.class, () -> Template.of(tokenizer, "a", null, 3, 4));
    }

    @Test
    void setsAllowSomeSymbolsAtAPosition() {
        Template t = Template.pattern(tokenizer, "[ab]m[^e]_");
        assertArrayEquals(new int[] {m, 3, m, m, p, p}, t.ids());
        assertEquals(4, t.exactLength());
        assertTrue(t.hasSets());
        assertArrayEquals(new boolean[] {true, true, false, false, false, false}, t.allowed(0));
        assertArrayEquals(new boolean[] {true, true, false, true, false, false}, t.allowed(2), "never PAD or MASK");
        assertEquals(null, t.allowed(1));
        assertEquals(null, t.allowed(3), "a blank takes any symbol");
        assertTrue(!Template.pattern(tokenizer, "em__a").hasSets());
        Canvas canvas = Canvas.of(tokenizer, 2).reset(2, t);
        assertArrayEquals(t.allowed(0), canvas.allowed(0));
        assertEquals(null, canvas.reset(2).allowed(0), "a plain reset drops the sets");
    }

    @Test
    void badSetsAreRefusedWithTheirPosition() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Template.pattern(tokenizer, "e[ab"))
                .getMessage().contains("position 2"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Template.pattern(tokenizer, "e[]"))
                .getMessage().contains("empty"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Template.pattern(tokenizer, "[^abem]"))
                .getMessage().contains("leaves no symbol"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Template.pattern(tokenizer, "[az]"))
                .getMessage().contains("'z'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Template.pattern(tokenizer, "[ab]_____e"))
                .getMessage().contains("longer than the model's 6 positions"));
        assertThrows(IllegalArgumentException.class, () -> Template.of(tokenizer, "[a", null, null));
    }
}
