-- More languages and multi-file submissions (issue 6).
--
-- Language argv may hold placeholders that the judge expands per submission (README, Languages):
--   {files}        every submitted file with one of the language's extensions, one argument each
--   {entry}        the entry point file (main.py)
--   {entry_class}  the entry point class (Java, Kotlin)
--   {heap_mib}     a heap size for the memory limit (JVM and V8 need one: the box's cgroup limit
--                  is invisible to them, and they would grow their heap past it instead of
--                  collecting garbage)
-- entry_kind says what an entry point names: NULL (none: every file is compiled), 'file',
-- 'java_class' or 'kotlin_class'. version_argv prints the compiler's version (the compile cache
-- key); empty means compile_argv[1] --version. selftest_source is a program printing "hello":
-- a worker judges it at start and only claims submissions of the languages that passed.
ALTER TABLE languages ADD COLUMN entry_kind text
  CHECK (entry_kind IN ('file', 'java_class', 'kotlin_class'));
ALTER TABLE languages ADD COLUMN version_argv text[] NOT NULL DEFAULT '{}';
ALTER TABLE languages ADD COLUMN selftest_source text NOT NULL DEFAULT '';

-- The rows of 0001 compile all of a submission's files (only rows nobody edited since).
UPDATE languages SET
  compile_argv = '{/usr/bin/gcc,-x,c,-std=gnu17,-O2,-pipe,-static,-o,main,"{files}",-lm}',
  selftest_source = E'#include <stdio.h>\nint main(void) { puts("hello"); return 0; }\n'
  WHERE id = 'c' AND compile_argv = '{/usr/bin/gcc,-x,c,-std=gnu17,-O2,-pipe,-static,-o,main,main.c,-lm}';
UPDATE languages SET
  compile_argv = '{/usr/bin/g++,-x,c++,-std=gnu++20,-O2,-pipe,-static,-o,main,"{files}"}',
  selftest_source = E'#include <iostream>\nint main() { std::cout << "hello\\n"; }\n'
  WHERE id = 'cpp' AND compile_argv = '{/usr/bin/g++,-x,c++,-std=gnu++20,-O2,-pipe,-static,-o,main,main.cpp}';
UPDATE languages SET
  compile_argv = '{/usr/bin/python3,-m,py_compile,"{files}"}',
  run_argv = '{/usr/bin/python3,-S,"{entry}"}',
  entry_kind = 'file',
  selftest_source = E'print("hello")\n'
  WHERE id = 'python3' AND run_argv = '{/usr/bin/python3,-S,main.py}';

INSERT INTO languages (id, name, extensions, source_file, compile_argv, run_argv, entry_kind,
                       version_argv, selftest_source) VALUES
  ('pypy3', 'PyPy 3', '{py}', 'main.py',
   '{/usr/bin/pypy3,-m,py_compile,"{files}"}', '{/usr/bin/pypy3,"{entry}"}', 'file',
   '{/usr/bin/pypy3,--version}', E'print("hello")\n'),
  ('java', 'Java', '{java}', 'Main.java',
   '{/usr/bin/javac,-J-XX:TieredStopAtLevel=1,-J-XX:+UseSerialGC,-encoding,UTF-8,-d,.,"{files}"}',
   '{/usr/bin/java,-XX:+UseSerialGC,-Xss64m,"-Xmx{heap_mib}m",-cp,.,"{entry_class}"}', 'java_class',
   '{}',
   E'public class Main {\n  public static void main(String[] args) {\n    System.out.println("hello");\n  }\n}\n'),
  ('kotlin', 'Kotlin', '{kt}', 'main.kt',
   '{/usr/bin/kotlinc,-J-XX:TieredStopAtLevel=1,-J-XX:+UseSerialGC,-nowarn,-d,.,"{files}"}',
   '{/usr/bin/java,-XX:+UseSerialGC,-Xss64m,"-Xmx{heap_mib}m",-cp,.:/usr/share/java/kotlin-stdlib.jar,"{entry_class}"}',
   'kotlin_class', '{/usr/bin/kotlinc,-version}', E'fun main() {\n  println("hello")\n}\n'),
  ('rust', 'Rust', '{rs}', 'main.rs',
   '{/usr/bin/rustc,--edition=2021,-O,-o,main,"{entry}"}', '{./main}', 'file', '{}',
   E'fn main() {\n    println!("hello");\n}\n'),
  ('go', 'Go', '{go}', 'main.go',
   '{/usr/bin/go,build,-o,main,"{files}"}', '{./main}', NULL, '{/usr/bin/go,version}',
   E'package main\n\nimport "fmt"\n\nfunc main() {\n\tfmt.Println("hello")\n}\n'),
  ('javascript', 'JavaScript (Node.js)', '{js}', 'main.js',
   '{/usr/bin/node,--check,"{entry}"}', '{/usr/bin/node,"--max-old-space-size={heap_mib}","{entry}"}',
   'file', '{}', E'console.log("hello");\n'),
  ('haskell', 'Haskell', '{hs}', 'main.hs',
   '{/usr/bin/ghc,-O2,-v0,-o,main,"{files}"}', '{./main}', NULL, '{}',
   E'main :: IO ()\nmain = putStrLn "hello"\n'),
  ('pascal', 'Pascal', '{pas}', 'main.pas',
   '{/usr/bin/fpc,-O2,-Xs,-v0,-omain,"{entry}"}', '{./main}', 'file', '{/usr/bin/fpc,-iW}',
   E'program main;\nbegin\n  writeln(''hello'');\nend.\n');

-- Multi-file submissions: every file of the zip, by its path in the zip. Single-file
-- submissions keep using submissions.source and .filename and have no rows here.
CREATE TABLE submission_files (
  submission_id bigint NOT NULL REFERENCES submissions(id) ON DELETE CASCADE,
  path          text NOT NULL,
  content       bytea NOT NULL,
  PRIMARY KEY (submission_id, path)
);
-- CLICS entry_point as resolved at submit time (the sent one or the inferred one).
ALTER TABLE submissions ADD COLUMN entry_point text;
