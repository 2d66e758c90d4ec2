package dev.servesim.runner.plugin;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * The packages a class file refers to, read from its constant pool (JVMS 4.4): the names of its class entries, and
 * the class names in descriptors and generic signatures ({@code Lcom/acme/Type;}), which are its text entries. Java
 * 17 has no class-file API, and nothing beyond the constant pool is needed.
 */
final class ClassFileReferences {

    private static final int MAGIC = 0xCAFEBABE;

    private ClassFileReferences() {}

    /**
     * Adds the dotted names of the packages {@code classFile} refers to, its own included, to {@code packages}.
     *
     * @throws IllegalArgumentException if {@code classFile} is not a class file
     */
    static void addPackages(byte[] classFile, Set<String> packages) {
        try {
            ByteBuffer in = ByteBuffer.wrap(classFile);
            if (in.getInt() != MAGIC) {
                throw new IllegalArgumentException("not a class file");
            }
            in.getShort(); // minor version
            in.getShort(); // major version
            int count = Short.toUnsignedInt(in.getShort());
            String[] texts = new String[count];
            int[] classNameIndexes = new int[count];
            int classes = 0;
            for (int index = 1; index < count; index++) {
                int tag = Byte.toUnsignedInt(in.get());
                switch (tag) {
                    case 1 -> { // Utf8, in modified UTF-8: like UTF-8 but for NUL and supplementary characters
                        byte[] bytes = new byte[Short.toUnsignedInt(in.getShort())];
                        in.get(bytes);
                        texts[index] = new String(bytes, StandardCharsets.UTF_8);
                    }
                    case 7 -> classNameIndexes[classes++] = Short.toUnsignedInt(in.getShort()); // Class
                    case 8, 16, 19, 20 -> skip(in, 2); // String, MethodType, Module, Package
                    case 15 -> skip(in, 3); // MethodHandle
                    case 3, 4, 9, 10, 11, 12, 17, 18 -> skip(in, 4); // Integer, Float, refs, NameAndType, dynamic
                    case 5, 6 -> { // Long, Double take two entries
                        skip(in, 8);
                        index++;
                    }
                    default -> throw new IllegalArgumentException("unknown constant pool tag " + tag);
                }
            }
            for (int k = 0; k < classes; k++) {
                String name = texts[classNameIndexes[k]];
                if (name == null) {
                    throw new IllegalArgumentException("a class entry names no text entry");
                }
                if (!name.startsWith("[")) {
                    addPackageOf(name, packages);
                }
            }
            for (String text : texts) {
                if (text != null) {
                    addDescriptorPackages(text, packages);
                }
            }
        } catch (BufferUnderflowException | IndexOutOfBoundsException e) {
            throw new IllegalArgumentException("truncated class file", e);
        }
    }

    private static void skip(ByteBuffer in, int bytes) {
        in.position(in.position() + bytes);
    }

    /** Adds the packages of the {@code L<internal name>;} (or {@code <} for a generic type) in {@code text}. */
    private static void addDescriptorPackages(String text, Set<String> packages) {
        int at = text.indexOf('L');
        while (at >= 0) {
            int end = at + 1;
            while (end < text.length() && isNameCharacter(text.charAt(end))) {
                end++;
            }
            if (end < text.length() && (text.charAt(end) == ';' || text.charAt(end) == '<') && end > at + 1) {
                addPackageOf(text.substring(at + 1, end), packages);
                at = text.indexOf('L', end);
            } else {
                at = text.indexOf('L', at + 1);
            }
        }
    }

    private static boolean isNameCharacter(char c) {
        return c != ';' && c != '<' && c != '>' && c != '[' && c != '.' && c != '(' && c != ')' && c != ' ';
    }

    private static void addPackageOf(String internalName, Set<String> packages) {
        int slash = internalName.lastIndexOf('/');
        if (slash > 0) {
            packages.add(internalName.substring(0, slash).replace('/', '.'));
        }
    }
}
