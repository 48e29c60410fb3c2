program main;
begin
  writeln(undefinedname);
end.
