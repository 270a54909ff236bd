from balanza.cli import main

raise SystemExit(main())
