"""What every part of the seeder shares: its codes, account names, batch sizes and quiz marks."""

from __future__ import annotations

from decimal import Decimal

CODE_PREFIX = "SK-"
MARKER_CODE = "SK-15"  # the province root: present means the scale data is there
ADMIN_USERNAME = "skala_admin"
SUPERVISOR_USERNAME = "skala_supervisor"
TRAINER_USERNAME = "skala_pengajar"
CHUNK_PEOPLE = 2_000  # people generated and inserted at a time: bounds memory, not correctness
BATCH_SIZE = 2_000
QUIZ_MAX_MARK = 20  # every scale attempt is out of 20 marks, so percents are multiples of 5
PASS_MARK = Decimal("70")
PASS_RAW = 14  # 14/20 = 70 %
