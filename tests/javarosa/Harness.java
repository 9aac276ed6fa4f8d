import java.io.*;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.util.*;
import org.javarosa.core.model.*;
import org.javarosa.core.model.data.*;
import org.javarosa.core.model.instance.*;
import org.javarosa.form.api.*;
import org.javarosa.xform.parse.XFormParser;
import org.javarosa.core.model.instance.InstanceInitializationFactory;

/**
 * Fills a compiled XForm with JavaRosa (the engine of ODK Collect) and reports every answer it refuses.
 *
 * Usage: java -cp ODK_Validate.jar Harness.java FORM.xml ANSWERS.tsv. ANSWERS holds submissions separated
 * by a line "===", each a list of "REF<TAB>VALUE" lines (REF as JavaRosa writes it, /data/a[1]/b[1]) and
 * "+REF<TAB>" lines for each repeat entry. Output lines: "N<TAB>CONSTRAINT|REQUIRED<TAB>REF" for a refused
 * or missing answer, "N<TAB>UNUSED<TAB>REF" for an answer to a question the form did not show (not
 * relevant), "N<TAB>DONE" at the end of submission N.
 */
public class Harness {
    public static void main(String[] args) throws Exception {
        String xform = new String(Files.readAllBytes(Paths.get(args[0])), StandardCharsets.UTF_8);
        List<String> lines = Files.readAllLines(Paths.get(args[1]), StandardCharsets.UTF_8);
        List<Map<String, String>> subs = new ArrayList<>();
        Map<String, String> cur = new LinkedHashMap<>();
        for (String line : lines) {
            if (line.equals("===")) { subs.add(cur); cur = new LinkedHashMap<>(); continue; }
            int eq = line.indexOf('\t');
            cur.put(line.substring(0, eq), line.substring(eq + 1));
        }
        if (!cur.isEmpty()) subs.add(cur);
        int n = 0;
        for (Map<String, String> answers : subs) {
            n++;
            FormDef fd = new XFormParser(new StringReader(xform)).parse();
            fd.initialize(true, new InstanceInitializationFactory());
            FormEntryModel model = new FormEntryModel(fd);
            FormEntryController fec = new FormEntryController(model);
            Set<String> used = new HashSet<>();
            int event;
            while ((event = fec.stepToNextEvent()) != FormEntryController.EVENT_END_OF_FORM) {
                FormIndex index = model.getFormIndex();
                String ref = index.getReference().toString(true);
                if (event == FormEntryController.EVENT_REPEAT && !answers.containsKey("+" + ref)) {
                    // pyxform writes a first entry of every repeat; a record without one deletes it.
                    fec.deleteRepeat();
                    continue;
                }
                if (event == FormEntryController.EVENT_REPEAT) { used.add("+" + ref); continue; }
                if (event == FormEntryController.EVENT_PROMPT_NEW_REPEAT) {
                    if (answers.containsKey("+" + ref)) { used.add("+" + ref); fec.newRepeat(); }
                    continue;
                }
                if (event != FormEntryController.EVENT_QUESTION) continue;
                String value = answers.get(ref);
                // Unanswered: keep what the form put there (a default), and check it as Collect does.
                IAnswerData data = model.getQuestionPrompt().getAnswerValue();
                if (value != null) {
                    used.add(ref);
                    int type = model.getQuestionPrompt().getDataType();
                    data = AnswerDataFactory.templateByDataType(type).cast(new UncastData(value));
                }
                int status = fec.answerQuestion(index, data, true);
                if (status != FormEntryController.ANSWER_OK) {
                    System.out.println(n + "\t" + (status == FormEntryController.ANSWER_CONSTRAINT_VIOLATED ? "CONSTRAINT" : status == FormEntryController.ANSWER_REQUIRED_BUT_EMPTY ? "REQUIRED" : "STATUS" + status) + "\t" + ref);
                    if (data != null) fec.answerQuestion(index, data, false);
                }
            }
            for (String key : answers.keySet()) if (!used.contains(key)) System.out.println(n + "\tUNUSED\t" + key);
            System.out.println(n + "\tDONE");
        }
    }
}
