import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeTransform;
import java.lang.constant.ClassDesc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Build step of the cli module (run by the exec plugin on the shaded jar, as a source-file
 * program): rewrites every class file older than Java 6 (version &lt; 50; picocli's are Java 5)
 * as a Java 8 class file (version 52) with the stack maps the JDK's ClassFile API computes, and
 * nothing else changed.
 *
 * <p>Why: the JDK's AOT cache (JEP 483) skips a class "linked with the old verifier" ("Skipping
 * picocli/...: Old class has been linked"), so picocli's 240 classes were loaded, parsed and
 * verified from the jar on every start. Every rewritten class is checked with
 * {@code ClassFile.verify} before the jar is replaced; the jar is written to a temporary file and
 * moved over the original.
 *
 * <p>Usage: {@code java UpgradeOldClassFiles.java JAR}
 */
public final class UpgradeOldClassFiles {

    public static void main(String[] args) throws IOException {
        Path jar = Path.of(args[0]);
        Map<String, byte[]> entries = new LinkedHashMap<>();
        Map<String, Long> times = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(jar))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                entries.put(e.getName(), in.readAllBytes());
                times.put(e.getName(), e.getTime());
            }
        }
        ClassHierarchyResolver fromJar = ClassHierarchyResolver.ofResourceParsing((ClassDesc cd) -> {
            String d = cd.descriptorString();
            byte[] b = entries.get(d.substring(1, d.length() - 1) + ".class");
            return b == null ? null : new ByteArrayInputStream(b);
        });
        ClassFile cf = ClassFile.of(ClassFile.StackMapsOption.GENERATE_STACK_MAPS,
                ClassFile.ClassHierarchyResolverOption.of(fromJar.orElse(ClassHierarchyResolver.defaultResolver())));
        int upgraded = 0;
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
            byte[] b = e.getValue();
            if (!e.getKey().endsWith(".class") || b.length < 8 || (((b[6] & 0xff) << 8) | (b[7] & 0xff)) >= 50) {
                continue;
            }
            ClassModel model = cf.parse(b);
            byte[] out = cf.transformClass(model, ClassTransform.transformingMethodBodies(CodeTransform.ACCEPT_ALL)
                    .andThen(ClassTransform.endHandler(cb -> cb.withVersion(ClassFile.JAVA_8_VERSION, 0))));
            List<VerifyError> errors = cf.verify(out);
            if (!errors.isEmpty()) {
                throw new IllegalStateException(e.getKey() + " does not verify after the upgrade: " + errors);
            }
            e.setValue(out);
            upgraded++;
        }
        if (upgraded == 0) {
            System.out.println("UpgradeOldClassFiles: no class file older than Java 6 in " + jar);
            return;
        }
        Path tmp = jar.resolveSibling(jar.getFileName() + ".tmp");
        try (OutputStream os = Files.newOutputStream(tmp); ZipOutputStream out = new ZipOutputStream(os)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                ZipEntry z = new ZipEntry(e.getKey());
                z.setTime(times.get(e.getKey()));
                out.putNextEntry(z);
                out.write(e.getValue());
                out.closeEntry();
            }
        }
        Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        System.out.println("UpgradeOldClassFiles: " + upgraded + " class files of " + jar + " rewritten as Java 8 class files");
    }
}
