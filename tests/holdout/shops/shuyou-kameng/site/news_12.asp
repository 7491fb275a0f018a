<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>关于《青云仙途》停运的说明 - 蜀游卡盟 - 游戏点卡批发|Q币充值|代理加盟</title>
<style type="text/css">
body{margin:0;font-size:12px;background:#eef3f8;font-family:宋体,SimSun,serif}
table{border-collapse:collapse} td{font-size:12px;line-height:22px}
.top{background:#0b5aa2;color:#fff} .top a{color:#fff;text-decoration:none;margin:0 8px}
.box{border:1px solid #9cc1e4;background:#fff} .tit{background:#dbe9f7;font-weight:bold;color:#0b5aa2;padding-left:8px}
.red{color:#f00} .foot{color:#555;line-height:24px}
</style></head>
<body>
<table width="980" border="0" align="center" cellpadding="0" cellspacing="0">
<tr><td height="70"><img src="/images/logo.gif" alt="蜀游卡盟" width="260" height="60" align="absmiddle"> <font color="#0b5aa2" size="4"><b>蜀游卡盟</b></font> <font color="#888">十年老店 · 诚信经营</font></td>
<td align="right"><font color="#f60">客服热线：028-85562317</font><br>值班QQ：1873362091 &nbsp; 2215806347</td></tr>
<tr class="top"><td colspan="2" height="32">
<a href="/">网站首页</a>|<a href="/product.asp">商品列表</a>|<a href="/member/index.asp">会员中心</a>|<a href="/help.asp">帮助中心</a>|<a href="/news_12.asp">网站公告</a>|<a href="/about.asp">关于我们</a>|<a href="/reg.asp">免费注册</a>
</td></tr></table>

<table width="980" border="0" align="center" cellpadding="10" class="box" style="margin-top:8px"><tr><td>
<p align="center"><b><font size="3" color="#0b5aa2">关于《青云仙途》停运的说明</font></b><br><font color="#999">发布时间：2025-05-20 &nbsp; 浏览次数：3207</font></p>
<p>近日，《青云仙途》研发运营商成都星河互娱科技有限公司发布公告，该游戏将于2025年6月30日停止运营，6月1日起关闭充值入口。</p>
<p>根据游戏官方公告，玩家账号内未消耗的元宝由游戏运营商统一处理，具体办法请关注游戏官网和官方微博，本站无法代为办理。</p>
<p>本站出售的“纵横一卡通”仍可用于纵横平台的其他游戏，不受此次停运影响。已经提取但尚未充值到游戏的卡密，也可以充值到纵横平台其他游戏中使用。</p>
<p>特别提醒：最近有骗子冒充游戏客服，以“停运补偿”“返还充值”为名要求玩家扫码或提供验证码，请大家提高警惕，不要轻信。遇到可疑情况可以拨打96110反诈专线咨询。</p>
<p>感谢大家长期以来对蜀游卡盟的支持！</p>
<p align="right">蜀游卡盟运营部</p>
</td></tr></table><table width="980" border="0" align="center" cellpadding="6" cellspacing="0" class="box" style="margin-top:8px">
<tr><td align="center" class="foot">
<a href="/about.asp">关于我们</a> | <a href="/help.asp">帮助中心</a> | <a href="/help_show_3.asp">购卡须知</a> | <a href="/help.asp#daili">代理加盟</a> | <a href="/about.asp#lianxi">联系我们</a><br>
Copyright 2014-2025 蜀游卡盟 All Rights Reserved &nbsp; 客服热线：028-85562317<br>
备案号：蜀ICP备2022014583号-1 &nbsp;&nbsp; <img src="/images/ga.png" width="14" height="14" align="absmiddle"> 川公网安备 51010702043218号<br>
<font color="#999">温馨提示：本站不向未成年人提供服务，请合理安排游戏时间。</font>
</td></tr></table>
</body></html>
