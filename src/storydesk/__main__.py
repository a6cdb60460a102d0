import sys

from storydesk.cli import main

sys.exit(main())
