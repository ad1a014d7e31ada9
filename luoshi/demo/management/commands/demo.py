import os
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand

from luoshi.demo.district import DEMO_PASSWORD, build_demo_district
from luoshi.demo.supervision import build_demo_supervision


class Command(BaseCommand):
    help = "Build the demo district 示例区 (generated data) and serve it."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-serve", action="store_true", help="build only, do not start the server"
        )
        parser.add_argument("--bind", default="127.0.0.1:8000")

    def handle(self, *args, no_serve=False, bind="127.0.0.1:8000", **options):
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("正在生成演示数据（示例区，全部为虚构数据）…")
        result = build_demo_district()
        self.stdout.write(
            f"完成：新建单位 {result.created_units} 个，新建账号 {result.created_users} 个"
            + ("（已存在的未重复创建）" if not result.created_units else "")
        )
        tasks = build_demo_supervision()
        if tasks:
            self.stdout.write(f"生成督办事项 {tasks} 项（含每周进展、退回、延期、逾期）")
        self.stdout.write("")
        self.stdout.write(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
        for login in result.logins:
            self.stdout.write(f"  {login.username:<16} {login.who}")
        self.stdout.write(
            "  其他单位：<单位编码>.head / <单位编码>.liaison，如 d10.head、t03v05.liaison"
        )
        if no_serve:
            return
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"打开 http://{bind}/ 登录（Ctrl+C 停止）"))
        sys.stdout.flush()
        luoshi = os.path.join(os.path.dirname(sys.executable), "luoshi")
        os.execv(luoshi, [luoshi, "serve", "--bind", bind])
